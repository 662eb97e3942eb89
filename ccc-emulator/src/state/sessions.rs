//! AI conversation sessions: the ones `CreateAIAgentCall` and `CreateAICall`
//! start (and the seed names), and `ControlAIConversation`, which steers a
//! session that exists. The calls of tasks and campaigns are sessions too
//! ([`super::calls::find`]): one can be steered while it is being talked on.

use super::{bad, Cost, Cx};
use crate::validate::Refusal;
use ccc_api::operation::{
    control_ai_conversation::{ControlAIConversationRequest, ControlAIConversationResponse},
    create_ai_agent_call::{CreateAIAgentCallRequest, CreateAIAgentCallResponse},
    create_ai_call::{CreateAICallRequest, CreateAICallResponse},
};
use ccc_api::types::ControlAIConversationCommand as Command;
use std::collections::VecDeque;

/// The AI sessions of an application, oldest first; at most
/// [`super::MAX_ENTRIES`], the oldest forgotten first (an AI call is long over
/// by the time a thousand newer ones were started).
#[derive(Default)]
pub(crate) struct Sessions {
    ids: VecDeque<Box<str>>,
}

impl Sessions {
    /// Records a session, forgetting the oldest beyond the cap; the change in
    /// bytes held.
    pub(super) fn add(&mut self, id: &str) -> (usize, usize) {
        let mut freed = 0;
        while self.ids.len() >= super::MAX_ENTRIES {
            freed += self.ids.pop_front().map_or(0, |s| s.cost());
        }
        let id: Box<str> = id.into();
        let added = id.cost();
        self.ids.push_back(id);
        (freed, added)
    }

    fn contains(&self, id: &str) -> bool {
        self.ids.iter().any(|s| &**s == id)
    }
}

impl Cost for Box<str> {
    fn cost(&self) -> usize {
        std::mem::size_of::<Self>() + self.len()
    }
}

/// Starts a session in the application: its id.
fn start(cx: &mut Cx, app: u64) -> Result<String, Refusal> {
    let id = format!("emulator-ai-{}", cx.data.next_id());
    let app = cx.data.app_mut(app, "LimitExceeded")?;
    let (freed, added) = app.sessions.add(&id);
    app.recount(freed, added);
    Ok(id)
}

pub(super) fn create_ai_agent_call(
    cx: &mut Cx,
    r: CreateAIAgentCallRequest,
) -> Result<CreateAIAgentCallResponse, Refusal> {
    let id = start(cx, r.sdk_app_id)?;
    Ok(CreateAIAgentCallResponse::builder().session_id(id).build())
}

pub(super) fn create_ai_call(
    cx: &mut Cx,
    r: CreateAICallRequest,
) -> Result<CreateAICallResponse, Refusal> {
    let id = start(cx, r.sdk_app_id)?;
    Ok(CreateAICallResponse::builder().session_id(id).build())
}

pub(super) fn control(
    cx: &mut Cx,
    r: ControlAIConversationRequest,
) -> Result<ControlAIConversationResponse, Refusal> {
    // `SessionId`: "id of the session to control": one that exists, and for
    // a call, one still in progress.
    let app = cx.app(r.sdk_app_id);
    if !app.sessions.contains(&r.session_id) {
        let Some(call) = super::calls::find(app, &r.session_id, cx.now, cx.dice) else {
            return Err((
                "FailedOperation.SessionNotExists",
                format!("session {} does not exist", r.session_id),
            ));
        };
        if call.answered.is_none_or(|a| a > cx.now) || call.ended <= cx.now {
            return Err((
                "FailedOperation.SessionNotInControlState",
                format!(
                    "session {} is not being talked on, so it cannot be steered",
                    r.session_id
                ),
            ));
        }
    }
    // `ServerPushText`: "required when `Command` is `ServerPushText`";
    // `InvokeLLM`: what is sent "when `Command` is `InvokeLLM`".
    match r.command {
        Some(Command::ServerPushText) if r.server_push_text.is_none() => Err(bad(
            "Command is ServerPushText but ServerPushText is missing".into(),
        )),
        Some(Command::InvokeLLM) if r.invoke_llm.is_none() => {
            Err(bad("Command is InvokeLLM but InvokeLLM is missing".into()))
        }
        _ => Ok(ControlAIConversationResponse::builder().build()),
    }
}

#[cfg(test)]
mod tests {
    use super::Sessions;
    use crate::state::MAX_ENTRIES;

    #[test]
    fn sessions_are_capped_oldest_first() {
        let mut sessions = Sessions::default();
        let mut held = 0usize;
        for i in 0..MAX_ENTRIES + 20 {
            let (freed, added) = sessions.add(&format!("session-{i}"));
            held = held + added - freed;
        }
        assert_eq!(sessions.ids.len(), MAX_ENTRIES);
        assert!(!sessions.contains("session-19"));
        assert!(sessions.contains("session-20"));
        let expected: usize = sessions
            .ids
            .iter()
            .map(|s| std::mem::size_of::<Box<str>>() + s.len())
            .sum();
        assert_eq!(held, expected);
    }
}
