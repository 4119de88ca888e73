"""Every table, imported in one place so Alembic and tests see the whole schema."""

from mancrel.activity.models import Activity
from mancrel.ai.models import Classification, Embedding, ModelVersion, SearchDocument, TrainingExample
from mancrel.analytics import models as analytics_models  # noqa: F401  (registers the daily rollups)
from mancrel.audit.models import AuditEntry
from mancrel.auth.models import RefreshToken
from mancrel.catalog.models import CatalogEvent, CatalogSource, Product, ProductVariant
from mancrel.channel.models import Channel, ImapCursor, InboundEvent
from mancrel.company.models import Company
from mancrel.contact.merge_models import ContactMerge
from mancrel.contact.models import Contact
from mancrel.core.db import Base
from mancrel.core.state import AppState
from mancrel.customfield.models import CustomField
from mancrel.dataimport.models import ImportJob
from mancrel.deadletter.models import DeadLetter
from mancrel.deal import line_items_models  # noqa: F401  (registers deal_line_items)
from mancrel.deal.models import Deal, DealStageChange
from mancrel.inbox.models import Attachment, Conversation, Message
from mancrel.insights import lead_score_models as insights_models  # noqa: F401  (lead scores, churn, opportunities)
from mancrel.insights import profile_models as insight_models  # noqa: F401  (registers the insights tables)
from mancrel.pipeline.models import Pipeline, PipelineStage
from mancrel.reply import models as reply_models  # noqa: F401  (registers every reply table)
from mancrel.user.models import User
from mancrel.worker.models import OutboxMessage, TaskCompletion

__all__ = ["Activity", "AppState", "Attachment", "AuditEntry", "Base", "CatalogEvent", "CatalogSource", "Channel",
           "Classification", "Company", "Contact", "ContactMerge", "Conversation", "CustomField", "DeadLetter",
           "Deal", "DealStageChange", "Embedding", "ImapCursor", "ImportJob", "InboundEvent", "Message",
           "ModelVersion", "OutboxMessage", "Pipeline", "PipelineStage", "Product", "ProductVariant", "RefreshToken",
           "SearchDocument", "TaskCompletion", "TrainingExample", "User"]
