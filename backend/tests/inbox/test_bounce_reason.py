"""A bounced reply's reason is the receiving server's answer, read from the delivery-status report
or the notice's text, not the whole bounce."""

from mancrel.channel import mime
from mancrel.inbox.models import Message
from tests.inbox.factories import SHOP, inbound, make_channel, receive

USER_UNKNOWN = "bounced: 550 5.1.1 Recipient address rejected: User unknown"

NOTICE = """This is the mail system at host mx.gmx.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

                   The mail system

<tobias@gmx.example>: host mx01.gmx.example[212.227.17.5] said: 550 5.1.1
    <tobias@gmx.example>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
"""


def _postfix_bounce(original_id: str, *, with_report: bool = True) -> bytes:
    report = """--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.gmx.example
Arrival-Date: Sat,  5 Dec 2026 10:02:11 +0100 (CET)

Final-Recipient: rfc822; tobias@gmx.example
Original-Recipient: rfc822;tobias@gmx.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx01.gmx.example
Diagnostic-Code: smtp; 550 5.1.1 <tobias@gmx.example>: Recipient address
    rejected: User unknown

""" if with_report else ""
    return f"""From: MAILER-DAEMON@mx.gmx.example (Mail Delivery System)
To: {SHOP}
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-{original_id}>
Return-Path: <>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

{NOTICE}
{report}--B
Content-Type: text/rfc822-headers

Message-ID: <{original_id}>
From: {SHOP}
Subject: Re: Boots

--B--
""".replace("\n", "\r\n").encode()


async def _sent_reply(db, channel, customer_mail, rfc_id: str) -> Message:
    ours = Message(conversation_id=customer_mail.conversation_id, channel_id=channel.id, direction="outbound",
                   sender=SHOP, subject="Re: Boots", text="Yes", provider_message_id=rfc_id, status="sent")
    db.add(ours)
    await db.flush()
    return ours


async def test_the_reason_is_the_reports_diagnostic_code(db):
    channel = await make_channel(db)
    ours = await _sent_reply(db, channel, await receive(db, channel, inbound(subject="Boots")), "reply-7@mancrel")

    await receive(db, channel, mime.parse_raw(_postfix_bounce("reply-7@mancrel")))

    await db.refresh(ours)
    assert (ours.status, ours.failure_reason) == ("failed", USER_UNKNOWN)


async def test_without_a_report_part_the_answer_quoted_in_the_notice_is_the_reason(db):
    channel = await make_channel(db)
    ours = await _sent_reply(db, channel, await receive(db, channel, inbound(subject="Boots")), "reply-8@mancrel")

    await receive(db, channel, mime.parse_raw(_postfix_bounce("reply-8@mancrel", with_report=False)))

    await db.refresh(ours)
    assert (ours.status, ours.failure_reason) == ("failed", USER_UNKNOWN)
