//! Caps on open items, checked on every dialect inside the transaction that
//! would create one more. The transaction first holds the conversation's and
//! the person's scope (a lone SQLite writer already does; PostgreSQL takes an
//! advisory lock), so two creations at once count one after the other and
//! cannot both take the last free place.

use crate::domain::conversation::ConversationKey;
use crate::domain::person::PersonRef;
use crate::domain::ports::{LimitReached, OpenLimits, StoreError};

on_every_dialect! {
    impl {
        /// The cap one more open item would break, if any. `count` takes the
        /// person (`$1` channel, `$3` user id) and the conversation (`$2`)
        /// and answers their open items (the person's, the conversation's).
        pub(super) async fn open_limit_reached(
            tx: &mut DB::Connection,
            count: &'static str,
            conversation: ConversationKey,
            owner: Option<PersonRef<'_>>,
            limits: OpenLimits,
        ) -> Result<Option<LimitReached>, StoreError> {
            if limits == OpenLimits::NONE {
                return Ok(None);
            }
            // Always the conversation's scope before the person's, so that
            // two transactions never wait on each other in a circle.
            DB::serialize_scope(tx, &format!("open-items/{}", conversation.0)).await?;
            if let Some(owner) = owner {
                let person = format!("open-items/{}/{}", owner.channel_id, owner.user_id);
                DB::serialize_scope(tx, &person).await?;
            }
            let (by_owner, in_conversation): (i64, i64) = sqlx::query_as(count)
                .bind(owner.map(|o| o.channel_id))
                .bind(conversation.0)
                .bind(owner.map(|o| o.user_id))
                .fetch_one(&mut *tx)
                .await?;
            Ok(limits.reached(owner.map(|_| by_owner), in_conversation))
        }
    }
}
