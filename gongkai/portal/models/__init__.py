"""Models of the portal (imported here so Django and Wagtail find them)."""

from .indexnumbers import IndexNumberSequence, IssuedIndexNumber  # noqa: F401
from .disclosure_pages import (  # noqa: F401
    AnnualReportIndexPage, AnnualReportPage, CataloguePage, DisclosureIndexPage, StatutoryContentPage,
)
from .page_base import DisclosablePage, PageAttachment  # noqa: F401
from .publishjobs import PublishJob, RebuildChunk, RebuildJob  # noqa: F401
from .pages import (  # noqa: F401
    ArticlePage, ColumnPage, ContentPage, HomePage, InterpretationPage, OrganisationPage, PolicyDocumentPage,
    ServiceGuidePage, TopicPage,
)
from ..review import AttachmentText, DocumentExtraction, HitConfirmation, ScanKeyword  # noqa: F401
from .review_task import ConfidentialityReviewTask  # noqa: F401
from ..search.models import SearchDocument  # noqa: F401
from .sites import PortalSite  # noqa: F401
