"""The one way Skill Tree writes dates: "5 December 2026", and "5 December 2026, 14:30" with the time.

Templates use `|date` and `|date:"DATETIME_FORMAT"`, Python `django.utils.formats.date_format`;
this module (FORMAT_MODULE_PATH) overrides the en locale's "Dec. 5, 2026".
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
