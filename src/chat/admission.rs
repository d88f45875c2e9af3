//! Whether an activity may have a turn at all, decided before anything is
//! stored: its channel, the service URL it would have Herald answer (Herald's
//! own web chat is recognised by the connector, so chat never names it), and
//! its conversation's rate — a flood costs a hash and a compare.

use std::hash::{BuildHasher, RandomState};
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::Quota;

use super::turn::{Caller, TurnError};
use crate::botframework::auth::{TokenKind, TrustedHosts};
use crate::botframework::inbound::{InboundActivity, is_loopback};
use crate::domain::clock::Clock;
use crate::rate_limit::{KeyedLimiter, check_key, keyed_limiter};

/// Which service URLs Herald accepts (and so will later send to).
#[derive(Debug, Clone)]
pub enum ServiceUrlPolicy {
    /// Authentication off: this machine only.
    LoopbackOnly,
    /// Authentication on: the trusted hosts.
    Trusted(TrustedHosts),
}

pub(super) struct Admission {
    service_urls: ServiceUrlPolicy,
    /// Keyed by a digest of (channel, conversation): no allocation per turn.
    turn_rate: KeyedLimiter<u64>,
    rate_keys: RandomState,
}

impl Admission {
    pub(super) fn new(
        service_urls: ServiceUrlPolicy,
        turns_per_minute: NonZeroU32,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            service_urls,
            turn_rate: keyed_limiter(Quota::per_minute(turns_per_minute), clock),
            rate_keys: RandomState::new(),
        }
    }

    /// Admits or refuses an activity from `caller`; `webchat` says whether
    /// its service URL is Herald's own web chat. Web chat's endpoint checks
    /// the rate itself, before it keeps the activity.
    pub(super) fn check(
        &self,
        inbound: &InboundActivity,
        caller: Caller,
        webchat: bool,
    ) -> Result<(), TurnError> {
        // A channel living inside Herald (its web chat) has a service URL
        // that is Herald itself: only its own endpoint may speak for it.
        if webchat != (caller == Caller::WebChat) {
            return Err(TurnError::Refused {
                field: "serviceUrl",
                problem: "is reserved for Herald's web chat",
            });
        }
        let Caller::Channel(authenticated) = caller else {
            return Ok(());
        };
        self.trusted(inbound, authenticated)?;
        self.rate(inbound)
    }

    /// Whether the conversation may have another turn now.
    pub(super) fn rate(&self, inbound: &InboundActivity) -> Result<(), TurnError> {
        let rate_key = self
            .rate_keys
            .hash_one((&inbound.channel_id, &inbound.conversation_id));
        check_key(&self.turn_rate, &rate_key)
            .map_err(|retry_after| TurnError::Throttled { retry_after })
    }

    /// Forgets the turn rates of conversations that have been quiet.
    pub(super) fn forget_quiet(&self) {
        self.turn_rate.retain_recent();
        self.turn_rate.shrink_to_fit();
    }

    fn trusted(
        &self,
        inbound: &InboundActivity,
        authenticated: Option<TokenKind>,
    ) -> Result<(), TurnError> {
        match &self.service_urls {
            ServiceUrlPolicy::LoopbackOnly if !is_loopback(&inbound.service_url) => {
                Err(TurnError::Refused {
                    field: "serviceUrl",
                    problem: "must be a loopback URL while authentication is off",
                })
            }
            ServiceUrlPolicy::Trusted(hosts) => {
                let emulator_on_loopback =
                    authenticated == Some(TokenKind::Emulator) && is_loopback(&inbound.service_url);
                if !emulator_on_loopback && !hosts.allows(&inbound.service_url) {
                    return Err(TurnError::Forbidden {
                        field: "serviceUrl",
                        problem: "is not a trusted service host",
                    });
                }
                Ok(())
            }
            ServiceUrlPolicy::LoopbackOnly => Ok(()),
        }
    }
}
