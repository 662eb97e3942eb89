//! In-memory state for the actions where state matters, one module per
//! resource: automatic outbound call tasks ([`tasks`]), predictive dialing
//! campaigns ([`campaigns`]), staff ([`staff`]), skill groups
//! ([`skill_groups`]), numbers ([`numbers`]), the calls tasks and campaigns
//! place with the records and statistics computed from them ([`calls`], over
//! [`crate::sim`]), and AI conversation sessions ([`sessions`]); each kept per
//! `SdkAppId`.
//!
//! A request reaches a resource as the generated request type of its action
//! (decoded strictly by [`crate::validate::decode`]) and leaves as the
//! generated response type, so the emulator reads and writes the same shapes
//! as the client. Each rule a resource enforces names, next to it, the action
//! and member whose documentation states it. Every refusal carries a code the
//! action documents or a common one ([`crate::validate::documented`]).
//!
//! Kept compactly, because requests can be large and repetitive (one 371 KiB
//! `CreateAutoCalloutTask` once cost 14.7 MB as JSON values): records hold only
//! what a later answer shows, lists of strings are packed ([`texts`]), calls are
//! computed rather than stored, answers are built on demand. And capped, so
//! that no sequence of requests grows it without bound: at most [`MAX_APPS`]
//! applications with state, each holding at most [`MAX_ENTRIES`] records of a
//! kind and about [`MAX_APP_BYTES`] bytes, refused with the service's own limit
//! codes. Reads never create state.

mod calls;
mod campaigns;
mod numbers;
mod seeded;
mod sessions;
mod skill_groups;
mod staff;
mod tasks;
mod texts;

use crate::clock::Clock;
use crate::seed::Seed;
use crate::sim::Dice;
use crate::validate::Refusal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Applications that may hold state at once.
pub const MAX_APPS: usize = 32;
/// Records of one kind (tasks, campaigns, staff, skill groups, sessions) per
/// application.
pub const MAX_ENTRIES: usize = 1000;
/// Bytes of state per application (record sizes plus the text they hold).
pub const MAX_APP_BYTES: usize = 4 << 20;
/// Numbers an application the seed does not name has.
const NUMBERS: usize = 12;
const DAY: i64 = 86_400;

/// What one record costs against [`MAX_APP_BYTES`].
trait Cost {
    fn cost(&self) -> usize;
}

/// The state of one application.
#[derive(Default)]
struct App {
    tasks: BTreeMap<u64, tasks::Task>,
    campaigns: BTreeMap<u64, campaigns::Campaign>,
    /// By mail.
    staff: BTreeMap<Box<str>, staff::Staff>,
    skill_groups: BTreeMap<u64, skill_groups::SkillGroup>,
    numbers: Vec<numbers::Number>,
    sessions: sessions::Sessions,
    /// The sum of the costs of everything above.
    bytes: usize,
}

impl App {
    /// An application the seed does not name: no records, [`NUMBERS`] numbers.
    fn implicit() -> App {
        App::with_numbers((0..NUMBERS).map(|i| format!("0086755000000{i:02}")))
    }

    fn with_numbers(numbers: impl Iterator<Item = String>) -> App {
        let numbers: Vec<numbers::Number> = numbers.map(numbers::Number::new).collect();
        App {
            bytes: numbers.iter().map(Cost::cost).sum(),
            numbers,
            ..App::default()
        }
    }

    /// Room for one more record costing `cost` next to `count` of its kind, or
    /// the refusal with `code`.
    fn room(&self, count: usize, cost: usize, code: &'static str) -> Result<(), Refusal> {
        if count >= MAX_ENTRIES {
            return Err((
                code,
                format!(
                    "the application already holds {MAX_ENTRIES} of these, the emulator's limit"
                ),
            ));
        }
        if self.bytes.saturating_add(cost) > MAX_APP_BYTES {
            return Err((
                code,
                format!(
                    "the application's state would exceed the emulator's limit of {MAX_APP_BYTES} bytes ({} held, {cost} more asked)",
                    self.bytes
                ),
            ));
        }
        Ok(())
    }

    /// Replaces `before` by `after` in the byte count.
    fn recount(&mut self, before: usize, after: usize) {
        self.bytes = self.bytes.saturating_add(after).saturating_sub(before);
    }
}

#[derive(Default)]
struct Data {
    next_id: u64,
    apps: HashMap<u64, App>,
}

impl Data {
    /// The application's state, created on first write while there is room.
    fn app_mut(&mut self, app: u64, code: &'static str) -> Result<&mut App, Refusal> {
        if !self.apps.contains_key(&app) && self.apps.len() >= MAX_APPS {
            return Err((
                code,
                format!("the emulator already holds state of {MAX_APPS} applications, its limit"),
            ));
        }
        Ok(self.apps.entry(app).or_insert_with(App::implicit))
    }

    /// A fresh id for a task, campaign or skill group.
    fn next_id(&mut self) -> u64 {
        self.next_id = self.next_id.saturating_add(1);
        self.next_id
    }
}

/// What a handler works with: the data, the simulated now and the dice.
struct Cx<'a> {
    data: &'a mut Data,
    now: i64,
    dice: &'a Dice,
    /// Read in place of an application without state.
    implicit: &'a App,
}

impl Cx<'_> {
    /// The application's state for reading; an implicit one when it has none.
    fn app(&self, app: u64) -> &App {
        self.data.apps.get(&app).unwrap_or(self.implicit)
    }
}

/// The emulator's state.
pub struct State {
    data: Mutex<Data>,
    clock: Arc<Clock>,
    dice: Dice,
    /// Read in place of an application without state (built once).
    implicit: App,
}

impl State {
    /// A state holding `seed`, with its calls decided by `dice_seed`; or the path
    /// in the seed and what is wrong there.
    pub fn new(seed: &Seed, clock: Arc<Clock>, dice_seed: u64) -> Result<State, (String, String)> {
        let rate = seed.answer_rate;
        if !(0.0..=1.0).contains(&rate) {
            return Err((
                "answer_rate".into(),
                format!("{rate} is not a share between 0 and 1"),
            ));
        }
        let dice = Dice {
            seed: dice_seed,
            // In 0..=10_000 as checked above.
            answer_per_10k: (rate * 10_000.0).round() as u64,
            ring_timeout: None,
        };
        let data = seeded::load(seed, clock.now())?;
        Ok(State {
            data: Mutex::new(data),
            clock,
            dice,
            implicit: App::implicit(),
        })
    }

    /// The simulated clock.
    pub fn clock(&self) -> &Arc<Clock> {
        &self.clock
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Data> {
        match self.data.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Answers a stateful action from its JSON body (already checked by
    /// [`crate::validate::check_body`]); `None` for actions without state.
    pub fn handle(&self, action: &str, body: &[u8]) -> Option<Result<Value, Refusal>> {
        let now = self.clock.now();
        let mut data = self.lock();
        let mut cx = Cx {
            data: &mut data,
            now,
            dice: &self.dice,
            implicit: &self.implicit,
        };
        let cx = &mut cx;
        Some(match action {
            "CreateAutoCalloutTask" => run(body, |r| tasks::create(cx, r)),
            "DescribeAutoCalloutTask" => run(body, |r| tasks::describe(cx, r)),
            "DescribeAutoCalloutTasks" => run(body, |r| tasks::list(cx, r)),
            "PauseAutoCalloutTask" => run(body, |r| tasks::pause(cx, r)),
            "ResumeAutoCalloutTask" => run(body, |r| tasks::resume(cx, r)),
            "StopAutoCalloutTask" => run(body, |r| tasks::stop(cx, r)),
            "CreatePredictiveDialingCampaign" => run(body, |r| campaigns::create(cx, r)),
            "UpdatePredictiveDialingCampaign" => run(body, |r| campaigns::update(cx, r)),
            "DescribePredictiveDialingCampaign" => run(body, |r| campaigns::describe(cx, r)),
            "DescribePredictiveDialingCampaigns" => run(body, |r| campaigns::list(cx, r)),
            "DescribePredictiveDialingSessions" => run(body, |r| campaigns::sessions(cx, r)),
            "PausePredictiveDialingCampaign" => run(body, |r| campaigns::pause(cx, r)),
            "ResumePredictiveDialingCampaign" => run(body, |r| campaigns::resume(cx, r)),
            "AbortPredictiveDialingCampaign" => run(body, |r| campaigns::abort(cx, r)),
            "DeletePredictiveDialingCampaign" => run(body, |r| campaigns::delete(cx, r)),
            "CreateStaff" => run(body, |r| staff::create(cx, r)),
            "DescribeStaffInfoList" => run(body, |r| staff::list(cx, r)),
            "DeleteStaff" => run(body, |r| staff::delete(cx, r)),
            "BindStaffSkillGroupList" => run(body, |r| staff::bind(cx, r)),
            "UnbindStaffSkillGroupList" => run(body, |r| staff::unbind(cx, r)),
            "CreateCCCSkillGroup" => run(body, |r| skill_groups::create(cx, r)),
            "DescribeSkillGroupInfoList" => run(body, |r| skill_groups::list(cx, r)),
            "DeleteCCCSkillGroup" => run(body, |r| skill_groups::delete(cx, r)),
            "DescribeNumbers" => run(body, |r| numbers::list(cx, r)),
            "BindNumberCallOutSkillGroup" => run(body, |r| numbers::bind(cx, r)),
            "UnbindNumberCallOutSkillGroup" => run(body, |r| numbers::unbind(cx, r)),
            "DescribeTelCdr" => run(body, |r| calls::tel_cdr(cx, r)),
            "DescribeProtectedTelCdr" => run(body, |r| calls::protected_tel_cdr(cx, r)),
            "DescribeTelCallInfo" => run(body, |r| calls::tel_call_info(cx, r)),
            "DescribeCallInMetrics" => run(body, |r| calls::call_in_metrics(cx, r)),
            "CreateAIAgentCall" => run(body, |r| sessions::create_ai_agent_call(cx, r)),
            "CreateAICall" => run(body, |r| sessions::create_ai_call(cx, r)),
            "ControlAIConversation" => run(body, |r| sessions::control(cx, r)),
            _ => return None,
        })
    }
}

/// Decodes `body` as the request type `Req` of an action, lets `handler`
/// answer it, and gives the answer as JSON.
fn run<Req, Resp>(
    body: &[u8],
    handler: impl FnOnce(Req) -> Result<Resp, Refusal>,
) -> Result<Value, Refusal>
where
    Req: DeserializeOwned,
    Resp: Serialize,
{
    let request = crate::validate::decode::<Req>(body)?;
    let answer = handler(request)?;
    serde_json::to_value(answer).map_err(|e| ("InternalError", e.to_string()))
}

/// A value from a builder of the generated types: every required member is
/// set by the handlers, so a failure is the emulator's own bug.
fn built<T>(value: Result<T, ccc_api::BuildError>) -> Result<T, Refusal> {
    value.map_err(|e| {
        (
            "InternalError",
            format!("the emulator built a bad answer: {e}"),
        )
    })
}

/// A refusal of a value the docs rule out.
fn bad(message: String) -> Refusal {
    ("InvalidParameterValue", message)
}

fn not_found(what: &str, id: impl std::fmt::Display) -> Refusal {
    bad(format!("{what} {id} does not exist"))
}

/// A refusal of a change the record's state does not allow.
fn bad_state(what: &str, id: u64, state: impl std::fmt::Debug, verb: &str) -> Refusal {
    (
        "UnsupportedOperation",
        format!("{what} {id} is {state:?} and cannot be {verb}"),
    )
}
/// `value` of member `name` in `lo..=hi` when present.
fn in_range<T>(name: &str, value: Option<T>, lo: T, hi: T) -> Result<(), Refusal>
where
    T: PartialOrd + std::fmt::Display + Copy,
{
    match value {
        Some(v) if v < lo || v > hi => {
            Err(bad(format!("{name} is {v}; the docs allow {lo} to {hi}")))
        }
        _ => Ok(()),
    }
}

/// A page of a list: the 0-based page number and the page size, checked
/// against the action's documented maximum size.
#[derive(Clone, Copy)]
struct Page {
    number: u64,
    size: u64,
}

impl Page {
    /// `PageNumber` and `PageSize` as sent, `size` at most `max` (each
    /// action's `PageSize` doc gives its maximum) and at least 1.
    fn of(number: u64, size: u64, max: u64) -> Result<Page, Refusal> {
        in_range("PageSize", Some(size), 1, max)?;
        Ok(Page { number, size })
    }

    /// The total and the items of this page.
    fn cut<T>(self, items: impl Iterator<Item = T>) -> (u64, Vec<T>) {
        let size = usize::try_from(self.size).unwrap_or(usize::MAX);
        let skip = usize::try_from(self.number.saturating_mul(self.size)).unwrap_or(usize::MAX);
        let mut total = 0u64;
        let mut page = Vec::new();
        for (i, item) in items.enumerate() {
            total += 1;
            if i >= skip && page.len() < size {
                page.push(item);
            }
        }
        (total, page)
    }
}

#[cfg(test)]
mod tests;
