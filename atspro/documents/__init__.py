"""User-scoped storage of parsed documents, results and upload bytes.

``open_document_store(settings, pool)`` picks PostgreSQL (default) or ArangoDB.
"""

from atspro.documents.factory import close_document_store, open_document_store
from atspro.documents.store import Blob, DocumentPage, DocumentStore, StoredDocument

__all__ = [
    "Blob",
    "DocumentPage",
    "DocumentStore",
    "StoredDocument",
    "close_document_store",
    "open_document_store",
]
