"""The webhook spool: a request that cannot be taken in is set aside, never lost, and the rest
go on."""

import json

from complaints.intake.spool import PURPOSE, SMS, Spool


def test_a_request_that_cannot_be_taken_in_is_set_aside_and_the_next_is_taken_in(app, tmp_path):
    parts = app.extensions["complaints"]
    spool = Spool(tmp_path / "spool")
    broken = spool.keep(parts.tools, SMS, {"MessageSid": "SM" + "1" * 32})
    broken.write_bytes(parts.vault.seal(json.dumps({"kind": "nonsense", "fields": {}}), PURPOSE))
    spool.keep(parts.tools, SMS, {"MessageSid": "SM" + "2" * 32, "From": "+8613055441314",
                                  "Body": "火田镇我家土坯房墙裂了"})
    assert spool.drain(parts.session_factory, parts.tools) == 1
    assert spool.pending() == []
    assert [path.name for path in (tmp_path / "spool" / "failed").iterdir()] == [broken.name]
