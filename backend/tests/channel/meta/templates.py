"""Message templates as Meta lists them for a WhatsApp Business Account (`GET /{waba_id}/message_templates`)."""

ORDER_SHIPPED = {
    "name": "order_shipped", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "id": "941",
    "components": [{"type": "HEADER", "format": "TEXT", "text": "Your order"},
                   {"type": "BODY", "text": "Hello {{1}}, your order {{2}} is on its way.",
                    "example": {"body_text": [["Ann", "#1042"]]}},
                   {"type": "FOOTER", "text": "Lamp & Co"},
                   {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Thanks"}]}]}
FOLLOW_UP_DE = {
    "name": "follow_up", "language": "de", "status": "APPROVED", "category": "MARKETING", "id": "942",
    "components": [{"type": "BODY", "text": "Hallo {{1}}, können wir noch helfen?"}]}
HELLO = {"name": "hello_world", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "id": "943",
         "components": [{"type": "BODY", "text": "Hello, thank you for writing to Lamp & Co."}]}
SPRING_SALE_PENDING = {"name": "spring_sale", "language": "en_US", "status": "PENDING", "category": "MARKETING",
                       "id": "944", "components": [{"type": "BODY", "text": "Spring sale, {{1}}!"}]}
REJECTED = {"name": "win_back", "language": "en_US", "status": "REJECTED", "category": "MARKETING", "id": "945",
            "components": [{"type": "BODY", "text": "We miss you {{1}}"}]}
# Approved, but a picture header needs a media parameter the composer has no field for: not offered.
NEW_ARRIVALS_IMAGE = {"name": "new_arrivals", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
                      "id": "946", "components": [{"type": "HEADER", "format": "IMAGE"},
                                                  {"type": "BODY", "text": "New in: {{1}}"}]}

ALL = [SPRING_SALE_PENDING, ORDER_SHIPPED, REJECTED, FOLLOW_UP_DE, NEW_ARRIVALS_IMAGE, HELLO]
OFFERED = [  # by name, then language
    {"name": "follow_up", "language": "de", "category": "MARKETING",
     "body": "Hallo {{1}}, können wir noch helfen?", "parameter_count": 1},
    {"name": "hello_world", "language": "en_US", "category": "UTILITY",
     "body": "Hello, thank you for writing to Lamp & Co.", "parameter_count": 0},
    {"name": "order_shipped", "language": "en_US", "category": "UTILITY",
     "body": "Hello {{1}}, your order {{2}} is on its way.", "parameter_count": 2},
]
