from . import timeclock
