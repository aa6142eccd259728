"""cchc: Public Administration Reform (cải cách hành chính) for Vietnamese provinces and communes."""

__version__ = "0.1.0"
