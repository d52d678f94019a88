"""Writes and reads of the portal's own bookkeeping (ADR 0030 §2): one-time codes and rate counters
(`otp`, `rate_counters`). Nothing else in the portal touches the database; it calls the domain's services
and selectors."""
