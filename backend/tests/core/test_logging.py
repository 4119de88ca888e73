import json
import logging

from mancrel.core.logging import JsonFormatter, request_id_var


def test_log_lines_are_json_with_request_id_and_stack():
    token = request_id_var.set("abc123")
    try:
        try:
            raise ValueError("broken")
        except ValueError:
            record = logging.getLogger("t").makeRecord("t", logging.ERROR, __file__, 1, "failed %s", ("x",),
                                                       exc_info=__import__("sys").exc_info(),
                                                       extra={"order_id": 7})
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "failed x"
    assert line["request_id"] == "abc123"
    assert line["order_id"] == 7
    assert "ValueError: broken" in line["stack"]
