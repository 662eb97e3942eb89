//! The world an emulator starts with: applications, their numbers, skill groups,
//! staff, automatic outbound tasks and predictive campaigns.
//!
//! The format is JSON (`ccc mock serve --seed FILE`, [`Seed::from_file`],
//! [`crate::Config::seed`]); unknown keys are refused and every error names the
//! file, the path inside it and what is wrong. [`Seed::default`] is
//! `ccc-emulator/seed/default.json`, which holds every entity the official
//! examples of both sites name (application 1400000000 with skill group 100,
//! campaign 2569 and AI session `6bb56a09-…`, task 16497 paused and staff
//! `1610598376@qq.com` signed in in application 1400692008, ...), so that each
//! example succeeds against a fresh emulator.
//!
//! ```json
//! {
//!   "answer_rate": 0.7,
//!   "apps": [{
//!     "sdk_app_id": 1400000000,
//!     "numbers": [{"number": "0086075586013388", "call_out_skill_groups": [100]}],
//!     "skill_groups": [{"id": 100, "name": "Hotline", "type": 0, "max_concurrency": 1}],
//!     "staff": [{"mail": "a@example.com", "name": "A", "skill_groups": [100]}],
//!     "tasks": [{"id": 1, "ivr_id": 4500, "callers": ["0086075586013388"],
//!                "callees": ["008613912345678"], "starts_in": 60}],
//!     "campaigns": [{"id": 2569, "name": "C", "skill_group_id": 100,
//!                    "callers": ["0086075586013388"], "callees": ["008613012345678"],
//!                    "starts_in": 60, "ends_in": 3600}],
//!     "sessions": ["6bb56a09-2787-40bc-80c5-dc6dab783eff"]
//!   }]
//! }
//! ```
//!
//! Staff may be `"online": true` (then `DeleteStaff` leaves them, as the
//! China-site example's answer shows), tasks may set `"tries"` and
//! `"retry_interval"`, and `sessions` lists AI conversations in progress that
//! `ControlAIConversation` can steer.
//!
//! Times are relative to the emulator's start, in seconds (`starts_in`, `ends_in`;
//! negative for the past), so a seed never goes stale. A seeded application owns
//! only the numbers it lists; an application the seed does not name is created on
//! first use with twelve numbers `008675500000000`..`008675500000011`.
//! Referential integrity is checked as the actions check it: callers must be the
//! application's numbers, skill groups named by staff, numbers and campaigns must
//! exist, ids must be unique.

use serde::Deserialize;
use std::fmt;
use std::path::Path;

/// The default seed's text.
pub const DEFAULT_SEED: &str = include_str!("../seed/default.json");

/// A seed: the state an emulator starts with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Share (0 to 1) of simulated calls that are answered.
    #[serde(default = "default_answer_rate")]
    pub answer_rate: f64,
    /// Applications.
    #[serde(default)]
    pub apps: Vec<SeedApp>,
}

fn default_answer_rate() -> f64 {
    0.7
}

/// One application (`SdkAppId`) and what it holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedApp {
    /// Its `SdkAppId`.
    pub sdk_app_id: u64,
    /// The numbers it owns.
    #[serde(default)]
    pub numbers: Vec<SeedNumber>,
    /// Skill groups.
    #[serde(default)]
    pub skill_groups: Vec<SeedSkillGroup>,
    /// Staff (agents).
    #[serde(default)]
    pub staff: Vec<SeedStaff>,
    /// Automatic outbound call tasks.
    #[serde(default)]
    pub tasks: Vec<SeedTask>,
    /// Predictive dialing campaigns.
    #[serde(default)]
    pub campaigns: Vec<SeedCampaign>,
    /// Ids of AI conversation sessions in progress (`ControlAIConversation`
    /// steers these).
    #[serde(default)]
    pub sessions: Vec<String>,
}

/// A number of an application.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedNumber {
    /// The number, as `DescribeNumbers` shows it.
    pub number: String,
    /// Skill groups bound for outbound calls.
    #[serde(default)]
    pub call_out_skill_groups: Vec<u64>,
}

/// A skill group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSkillGroup {
    /// Its id.
    pub id: u64,
    /// Its name, unique in the application.
    pub name: String,
    /// `SkillGroupType` (0 phone, 1 online, 3 audio, 4 video).
    #[serde(default, rename = "type")]
    pub skill_group_type: i64,
    /// Calls one agent takes at once.
    #[serde(default = "one")]
    pub max_concurrency: u64,
}

fn one() -> u64 {
    1
}

/// A staff member.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedStaff {
    /// Mail, the staff member's key.
    pub mail: String,
    /// Name.
    pub name: String,
    /// Staff number.
    #[serde(default)]
    pub staff_number: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Nickname.
    #[serde(default)]
    pub nick: String,
    /// Bound skill groups (priority 1).
    #[serde(default)]
    pub skill_groups: Vec<u64>,
    /// Signed in, so that `DeleteStaff` cannot delete them.
    #[serde(default)]
    pub online: bool,
}

/// An automatic outbound call task.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedTask {
    /// Its id.
    pub id: u64,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// IVR id (this or `ai_agent_id`).
    #[serde(default)]
    pub ivr_id: Option<u64>,
    /// AI agent id (this or `ivr_id`).
    #[serde(default)]
    pub ai_agent_id: Option<u64>,
    /// Caller numbers: numbers of the application.
    pub callers: Vec<String>,
    /// Numbers to call.
    pub callees: Vec<String>,
    /// Seconds after the emulator's start when dialing begins (`NotBefore`).
    #[serde(default)]
    pub starts_in: i64,
    /// Seconds after the emulator's start when dialing stops (`NotAfter`).
    #[serde(default)]
    pub ends_in: Option<i64>,
    /// Paused (`Suspended`) from the start.
    #[serde(default)]
    pub paused: bool,
    /// Attempts per callee (`Tries`, 1 to 3).
    #[serde(default)]
    pub tries: Option<u64>,
    /// Seconds between attempts (`RetryInterval`, 600 to 86400).
    #[serde(default)]
    pub retry_interval: Option<i64>,
}

/// A predictive dialing campaign.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCampaign {
    /// Its id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// The skill group whose agents take the answered calls.
    pub skill_group_id: u64,
    /// Caller numbers: numbers of the application.
    pub callers: Vec<String>,
    /// Numbers to call.
    pub callees: Vec<String>,
    /// Seconds after the emulator's start when the campaign starts.
    #[serde(default)]
    pub starts_in: i64,
    /// Seconds after the emulator's start when it ends.
    pub ends_in: i64,
    /// Priority, 1 (highest) to 5.
    #[serde(default = "three")]
    pub priority: i64,
    /// Target abandon rate in percent, 0 to 50.
    #[serde(default = "ten")]
    pub expected_abandon_rate: i64,
    /// Paused from the start.
    #[serde(default)]
    pub paused: bool,
}

fn three() -> i64 {
    3
}

fn ten() -> i64 {
    10
}

/// Why a seed cannot be used: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    /// The file (or `<default seed>`, `<inline>`).
    pub origin: String,
    /// Where in it, as a path (`apps[0].tasks[1].callers[0]`); empty for the whole.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "seed {}: {}", self.origin, self.message)
        } else {
            write!(
                f,
                "seed {}: at {}: {}",
                self.origin, self.path, self.message
            )
        }
    }
}

impl std::error::Error for SeedError {}

impl Default for Seed {
    /// The entities the official examples use.
    fn default() -> Seed {
        // Checked by a test; an empty world rather than a panic if it ever broke.
        Seed::from_json(DEFAULT_SEED, "<default seed>").unwrap_or_else(|_| Seed::empty())
    }
}

impl Seed {
    /// No applications: every application is created on first use.
    pub fn empty() -> Seed {
        Seed {
            answer_rate: default_answer_rate(),
            apps: Vec::new(),
        }
    }

    /// Reads and checks a seed file.
    pub fn from_file(path: &Path) -> Result<Seed, SeedError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| SeedError {
            origin: origin.clone(),
            path: String::new(),
            message: format!("cannot read it: {e}"),
        })?;
        Seed::from_json(&text, &origin)
    }

    /// Parses and checks a seed; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Seed, SeedError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let seed: Seed = serde_path_to_error::deserialize(de).map_err(|e| SeedError {
            origin: origin.to_owned(),
            path: match e.path().to_string() {
                p if p == "." || p == "?" => String::new(),
                p => p,
            },
            message: e.inner().to_string(),
        })?;
        // The full check runs by loading it into a state, as the actions would.
        crate::state::State::new(
            &seed,
            std::sync::Arc::new(crate::clock::Clock::stopped()),
            0,
        )
        .map_err(|(path, message)| SeedError {
            origin: origin.to_owned(),
            path,
            message,
        })?;
        Ok(seed)
    }
}
