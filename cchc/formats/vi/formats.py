"""Vietnamese formats as government documents write them: 30/06/2022, 517.417, 99,65.

Django's own `vi` module has no input formats and no thousands grouping, so dates typed as
30/06/2022 would be rejected and 517417 would be shown ungrouped.
"""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 30/06/2022
    "%d/%m/%y",  # 30/06/22
    "%d-%m-%Y",  # 30-06-2022
    "%d.%m.%Y",  # 30.06.2022
    "%Y-%m-%d",  # ISO, what <input type=date> and the API send
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%Hg%M"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%H:%M %d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
