import json, time
from tests.conftest import SLACK_SECRET, CHANNEL
from tests.fakes.signing import sign_slack, sign_whatsapp, wa_text_message

async def test_probe(desk):
    cases = {
        "surrogate": b'{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{"contacts":[{"wa_id":"5511912345678","profile":{"name":"A"}}],"messages":[{"from":"5511912345678","id":"wamid.S","timestamp":"1","type":"text","text":{"body":"oi \xed\xa0\x80"}}]}}]}]}',
        "badutf": b'{"a":"\xff"}',
        "utf16": json.dumps(wa_text_message("5511912345678","A","utf16 text")).encode("utf-16"),
        "deep_list": b"[" * 100000,
        "deep_ok": b'{"object":"x","entry":[{"id":"W","changes":[{"field":"messages","value":{"messages":[{"from":"5511912345678","id":"wamid.D","type":"text","text":{"body":"x"},"extra":' + b"[" * 950 + b"]" * 950 + b'}]}}]}]}',
        "deep_other": b'{"object":"x","entry":[{"id":"W","changes":[{"field":"other","value":{"x":' + b"[" * 950 + b"]" * 950 + b'}}]}]}',
        "nan": b'{"object":"x","entry":[{"id":"W","changes":[{"field":"messages","value":{"messages":[{"from":"5511912345678","id":"wamid.N","timestamp":NaN,"type":"text","text":{"body":"x"}}]}}]}]}',
        "bigint_ts": b'{"object":"x","entry":[{"id":"W","changes":[{"field":"messages","value":{"messages":[{"from":"5511912345678","id":"wamid.B","timestamp":1e400,"type":"text","text":{"body":"x"}}]}}]}]}',
        "entry_null_changes": b'{"entry":[{"changes":null}]}',
        "messages_dict": b'{"entry":[{"changes":[{"field":"messages","value":{"messages":{"id":"x"}}}]}]}',
        "statuses_str": b'{"entry":[{"changes":[{"field":"messages","value":{"statuses":"x"}}]}]}',
        "contacts_str": b'{"entry":[{"changes":[{"field":"messages","value":{"contacts":"abc","messages":[{"id":"wamid.C","from":"1","type":"text","text":{"body":"x"}}]}}]}]}',
        "value_list": b'{"entry":[{"changes":[{"field":"messages","value":[1]}]}]}',
        "value_str": b'{"entry":[{"changes":[{"field":"messages","value":"s"}]}]}',
        "field_list": b'{"entry":[{"changes":[{"field":["messages"],"value":{}}]}]}',
        "from_int": b'{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"wamid.I","from":5511912345678,"type":"text","text":{"body":"int from"}}]}}]}]}',
        "profile_str": b'{"entry":[{"changes":[{"field":"messages","value":{"contacts":[{"wa_id":"1","profile":"x"}],"messages":[{"id":"wamid.P","from":"1","type":"text","text":{"body":"p"}}]}}]}]}',
        "text_body_int": b'{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"wamid.T","from":"5511912345679","type":"text","text":{"body":5}}]}}]}]}',
        "no_from": b'{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"wamid.NF","type":"text","text":{"body":"nofrom"}}]}}]}]}',
        "status_no_id": b'{"entry":[{"changes":[{"field":"messages","value":{"statuses":[{"status":"read"}]}}]}]}',
        "status_errors_str": b'{"entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.X","status":"failed","errors":"x"}]}}]}]}',
        "status_errors_empty": b'{"entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.Y","status":"failed","errors":[]}]}}]}]}',
        "status_status_list": b'{"entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.Z","status":["x"]}]}}]}]}',
        "reaction_target_list": b'{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"wamid.R","from":"5511912345670","type":"reaction","reaction":{"message_id":["a"],"emoji":"x"}}]}}]}]}',
        "type_list": b'{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"wamid.TL","from":"5511912345670","type":["text"]}]}}]}]}',
        "name_int": b'{"entry":[{"changes":[{"field":"messages","value":{"contacts":[{"wa_id":"5511912345671","profile":{"name":7}}],"messages":[{"id":"wamid.NI","from":"5511912345671","type":"text","text":{"body":"n"}}]}}]}]}',
        "media_id_int": b'{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"wamid.MI","from":"5511912345672","type":"image","image":{"id":123,"mime_type":["x"]}}]}}]}]}',
    }
    for name, raw in cases.items():
        r = await desk.whatsapp(raw)
        print(name, r.status)
    await desk.settle()
    print(await desk.rows("SELECT dedup_key, error FROM inbox WHERE error IS NOT NULL"))
    print(await desk.rows("SELECT kind, last_error FROM outbox WHERE state != 'done'"))
    for p in desk.parents():
        print(p["text"][:80], [m["text"][:80] for m in desk.thread_of(p)])
    # slack
    for name, raw, ct in [("badjson", b"{not json", "application/json"), ("list", b"[1]", "application/json"),
                          ("str", b'"x"', "application/json"), ("num", b"1", "application/json"),
                          ("payload_bad", b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
                          ("payload_list", b"payload=%5B1%5D", "application/x-www-form-urlencoded"),
                          ("form_garbage", b"%%%&&==", "application/x-www-form-urlencoded"),
                          ("form_brace", b"{x", "application/x-www-form-urlencoded"),
                          ("empty", b"", "application/json"),
                          ("null", b"null", "application/json"),
                          ("event_null", b'{"type":"event_callback","event":null}', "application/json"),
                          ("event_list", b'{"type":"event_callback","event":[1]}', "application/json"),
                          ("event_str", b'{"type":"event_callback","event":"x"}', "application/json"),
                          ("ev_msg_no_ts", b'{"type":"event_callback","event":{"type":"message","channel":"CSUPPORT","user":"U","thread_ts":"1.1"}}', "application/json"),
                          ("actions_str", b'payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%22x%22%7D', "application/x-www-form-urlencoded"),
                          ("actions_nouser", b'payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%22action_id%22%3A%22ticket.claim%22%2C%22value%22%3A%221%22%7D%5D%7D', "application/x-www-form-urlencoded"),
                          ("actions_value_int", b'payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22U%22%7D%2C%22actions%22%3A%5B%7B%22action_id%22%3A%22ticket.claim%22%2C%22value%22%3A%5B1%5D%7D%5D%7D', "application/x-www-form-urlencoded"),
                          ]:
        try:
            r = await desk.slack_event(raw, content_type=ct)
            print("slack", name, r.status)
        except Exception as e:
            print("slack", name, "EXC", e)
    await desk.settle()
