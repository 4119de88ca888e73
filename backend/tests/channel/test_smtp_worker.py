"""A reply sent by a real worker that is killed in the middle of the send: the customer gets it
once, and the message says what is known about it."""

import os
import signal

import psutil

from mancrel.worker.app import celery_app
from tests.channel.factories import reread_message
from tests.worker.helpers import eventually


async def test_a_worker_killed_while_the_server_takes_the_mail_sends_it_once(committed_db, smtp_server, reply,
                                                                           celery_worker):
    smtp_server.inbox.answer_delay = 30.0  # the server keeps the mail, then takes its time to say so
    celery_app.send_task("email.send_message", kwargs={"message_id": str(reply)})
    await eventually(lambda: smtp_server.inbox.received, within=60)
    assert (await reread_message(committed_db, reply)).status == "sending"  # the attempt was on file first
    (child,) = psutil.Process(celery_worker.pid).children()
    os.kill(child.pid, signal.SIGKILL)  # mid-send: the mail is handed over, the answer never read

    async def settled():
        message = await reread_message(committed_db, reply)
        return message if message.status not in ("queued", "sending") else None

    message = await eventually(settled, within=90)  # the job was redelivered to a new child and ran
    assert len(smtp_server.inbox.received) == 1
    assert message.status == "failed" and message.failure_reason.startswith("delivery uncertain")


async def test_a_reply_queued_while_no_worker_runs_is_sent_once_one_starts(committed_db, smtp_server, reply,
                                                                           celery_worker, servers, tmp_path):
    celery_worker.stop()  # the job waits in the broker, as it would while no worker runs
    celery_app.send_task("email.send_message", kwargs={"message_id": str(reply)})
    assert (await reread_message(committed_db, reply)).status == "queued"
    from tests.conftest import start_worker

    worker = start_worker(servers, tmp_path / "worker2.log")
    try:
        message = await eventually(lambda: _sent(committed_db, reply), within=90)
        assert message.sent_at is not None and len(smtp_server.inbox.received) == 1
    finally:
        worker.stop()


async def _sent(db, message_id):
    message = await reread_message(db, message_id)
    return message if message.status == "sent" else None
