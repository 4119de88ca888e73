"""Message templates as Meta lists them for a WhatsApp Business Account (`GET /{waba_id}/message_templates`,
fields name, language, status, category, parameter_format, components)."""

ORDER_SHIPPED = {
    "name": "order_shipped", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "id": "941",
    "parameter_format": "POSITIONAL",
    "components": [{"type": "HEADER", "format": "TEXT", "text": "Your order"},
                   {"type": "BODY", "text": "Hello {{1}}, your order {{2}} is on its way.",
                    "example": {"body_text": [["Ann", "#1042"]]}},
                   {"type": "FOOTER", "text": "Lamp & Co"},
                   {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Thanks"}]}]}
FOLLOW_UP_DE = {
    "name": "follow_up", "language": "de", "status": "APPROVED", "category": "MARKETING", "id": "942",
    "components": [{"type": "BODY", "text": "Hallo {{1}}, können wir noch helfen?"}]}  # no parameter_format: older
HELLO = {"name": "hello_world", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "id": "943",
         "parameter_format": "POSITIONAL",
         "components": [{"type": "BODY", "text": "Hello, thank you for writing to Lamp & Co."}]}
SPRING_SALE_PENDING = {"name": "spring_sale", "language": "en_US", "status": "PENDING", "category": "MARKETING",
                       "id": "944", "components": [{"type": "BODY", "text": "Spring sale, {{1}}!"}]}
REJECTED = {"name": "win_back", "language": "en_US", "status": "REJECTED", "category": "MARKETING", "id": "945",
            "components": [{"type": "BODY", "text": "We miss you {{1}}"}]}
NEW_ARRIVALS_IMAGE = {"name": "new_arrivals", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
                      "id": "946", "parameter_format": "POSITIONAL",
                      "components": [{"type": "HEADER", "format": "IMAGE",
                                      "example": {"header_handle": ["https://scontent.whatsapp.net/sample.jpg"]}},
                                     {"type": "BODY", "text": "New in: {{1}}",
                                      "example": {"body_text": [["Oak lamp"]]}}]}
# A text header with a variable, a URL button whose address ends in one, a phone button.
TRACK_ORDER = {
    "name": "track_order", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "id": "947",
    "parameter_format": "POSITIONAL",
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["#1042"]}},
        {"type": "BODY", "text": "Hi {{1}}, your parcel left our workshop today.", "example": {"body_text": [["Ann"]]}},
        {"type": "FOOTER", "text": "Lamp & Co"},
        {"type": "BUTTONS", "buttons": [
            {"type": "URL", "text": "Track parcel", "url": "https://lamp.example/track/{{1}}",
             "example": ["https://lamp.example/track/1042-XK"]},
            {"type": "URL", "text": "Our shop", "url": "https://lamp.example/"},
            {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+49301234567"}]}]}
INVOICE_DOCUMENT = {
    "name": "invoice", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "id": "948",
    "parameter_format": "POSITIONAL",
    "components": [{"type": "HEADER", "format": "DOCUMENT"},
                   {"type": "BODY", "text": "Your invoice {{1}} is attached.", "example": {"body_text": [["R-77"]]}}]}
LAMP_VIDEO = {
    "name": "lamp_video", "language": "en_US", "status": "APPROVED", "category": "MARKETING", "id": "949",
    "components": [{"type": "HEADER", "format": "VIDEO"}, {"type": "BODY", "text": "See how the Oak lamp is made."}]}
# Meta's named parameters: {{first_name}} rather than {{1}}, in the header as well as the body.
SALE_NAMED = {
    "name": "winter_sale", "language": "en_US", "status": "APPROVED", "category": "MARKETING", "id": "950",
    "parameter_format": "NAMED",
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "{{sale_name}} starts now",
         "example": {"header_text_named_params": [{"param_name": "sale_name", "example": "Winter sale"}]}},
        {"type": "BODY", "text": "Hello {{first_name}}, use {{code}} at checkout.",
         "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Ann"},
                                                {"param_name": "code", "example": "WINTER10"}]}}]}

# Approved, still not offered: parts the composer has no field for.
STORE_LOCATION = {"name": "visit_us", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "id": "951",
                  "components": [{"type": "HEADER", "format": "LOCATION"}, {"type": "BODY", "text": "Come by!"}]}
LOGIN_CODE = {"name": "login_code", "language": "en_US", "status": "APPROVED", "category": "AUTHENTICATION",
              "id": "952", "components": [
                  {"type": "BODY", "text": "*{{1}}* is your verification code.", "add_security_recommendation": True},
                  {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}]}]}
CAROUSEL = {"name": "lamp_carousel", "language": "en_US", "status": "APPROVED", "category": "MARKETING", "id": "953",
            "components": [{"type": "BODY", "text": "Our lamps for {{1}}"},
                           {"type": "CAROUSEL", "cards": [{"components": [{"type": "HEADER", "format": "IMAGE"}]}]}]}
COUPON = {"name": "coupon", "language": "en_US", "status": "APPROVED", "category": "MARKETING", "id": "954",
          "components": [{"type": "BODY", "text": "A gift for you"},
                         {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "GIFT25"}]}]}
URL_MIDDLE = {"name": "odd_link", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "id": "955",
              "components": [{"type": "BODY", "text": "Your order"},
                             {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "See",
                                                              "url": "https://lamp.example/{{1}}/status"}]}]}
NOT_OFFERED = [STORE_LOCATION, LOGIN_CODE, CAROUSEL, COUPON, URL_MIDDLE]

ALL = [SPRING_SALE_PENDING, ORDER_SHIPPED, REJECTED, FOLLOW_UP_DE, NEW_ARRIVALS_IMAGE, HELLO, TRACK_ORDER,
       INVOICE_DOCUMENT, LAMP_VIDEO, SALE_NAMED, *NOT_OFFERED]
OFFERED = [("follow_up", "de"), ("hello_world", "en_US"), ("invoice", "en_US"), ("lamp_video", "en_US"),
           ("new_arrivals", "en_US"), ("order_shipped", "en_US"), ("track_order", "en_US"), ("winter_sale", "en_US")]
