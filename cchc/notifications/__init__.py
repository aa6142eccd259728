"""Reminders and escalation: in-app notifications and e-mails about obligations that fall due
soon or are overdue, and a weekly digest of late units for the province's PAR coordinators."""
