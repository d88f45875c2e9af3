//! Conversation references: upserted by channel and id.

use herald::domain::conversation::ConversationKey;

use super::{open, record, t0};
use crate::on_both_backends;

on_both_backends! {
    async fn conversations_upsert_by_channel_and_id(db: TestDatabase) {
        let store = open(&db).await;
        let first = store.upsert_conversation(&record("a|livechat"), t0()).await.unwrap();
        let mut changed = record("a|livechat");
        changed.service_url = "http://localhost:10".into();
        changed.locale = Some("pt-BR".into());
        let again = store.upsert_conversation(&changed, t0()).await.unwrap();
        assert_eq!(first, again);
        let other = store.upsert_conversation(&record("b|livechat"), t0()).await.unwrap();
        assert_ne!(first, other);
        let stored = store.conversation(first).await.unwrap().unwrap();
        assert_eq!(stored.record, changed);
        assert!(store.conversation(ConversationKey(999_999)).await.unwrap().is_none());
    }
}
