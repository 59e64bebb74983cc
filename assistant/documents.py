"""The retriever as a LangChain `BaseRetriever`: clauses as `Document`s with their citation metadata.

Kept apart from `assistant.retrieve` because importing LangChain's retriever base pulls in its tracing stack (about a
second on two cores), which a one-shot question does not need.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieve import Retriever
from assistant.scope import Filters


class ClauseRetriever(BaseRetriever):
    """LangChain `BaseRetriever` over `Retriever`: documents are clauses, with citation metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Retriever
    k: int = 5
    filters: Filters | None = None

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> list[Document]:
        """Clauses for `query`; `k` and `filters` given to `invoke` override the retriever's own."""
        result = self.retriever.search(query, filters=filters or self.filters, k=k or self.k)
        return [
            Document(
                page_content=hit.clause.text,
                metadata={
                    "clause_id": hit.clause.clause_id,
                    "notice_id": hit.notice.notice_id,
                    "issuer": hit.notice.issuer,
                    "year": hit.notice.year,
                    "doc_number": hit.notice.doc_number,
                    "title": hit.notice.display_title,
                    "path": hit.clause.path_label,
                    "score": hit.score,
                    "also_in": [d.clause_id for d in hit.duplicates],
                },
            )
            for hit in result.hits
        ]
