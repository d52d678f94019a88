from balai.cases.models.attachment import Attachment
from balai.cases.models.case import Case, CaseKind, ClockState, Confidentiality
from balai.cases.models.event import Event
from balai.cases.models.queued import QueuedSubmission

__all__ = ["Attachment", "Case", "CaseKind", "ClockState", "Confidentiality", "Event", "QueuedSubmission"]
