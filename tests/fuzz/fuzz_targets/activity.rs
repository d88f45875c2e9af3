//! Arbitrary bytes as the body of `POST /api/messages`: parsing, checking and
//! reading the conversation reference must never panic.
#![no_main]

use herald::botframework::activity::Activity;
use herald::botframework::inbound::InboundActivity;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(activity) = serde_json::from_slice::<Activity>(data) else {
        return;
    };
    // What Herald stores must serialise again.
    let _ = serde_json::to_vec(&activity).expect("a parsed activity serialises");
    if let Ok(inbound) = InboundActivity::validate(activity) {
        let reference = inbound.conversation_reference();
        let _ = serde_json::to_string(&reference).expect("a reference serialises");
        let _ = inbound.tenant_id();
        let _ = herald::botframework::connector::activities_url(
            inbound.service_url.as_str(),
            &inbound.conversation_id,
            inbound.activity.id.as_deref(),
        );
    }
});
