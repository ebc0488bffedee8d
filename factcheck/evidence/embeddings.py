"""Embeddings: LangChain's ``Embeddings`` interface over our one sentence-transformers encoder."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings


class EncoderEmbeddings(Embeddings):
    """Normalised MiniLM vectors for the Chroma vector store, from an encoder shared with the rest of factcheck.

    >>> from factcheck.resources import get_sentence_encoder
    >>> EncoderEmbeddings(get_sentence_encoder()).embed_query("Finland joined NATO.")[:2]
    """

    def __init__(self, encoder, batch_size: int = 64) -> None:
        self.encoder = encoder
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        # Newlines become spaces, as LangChain's HuggingFaceEmbeddings did when the shipped stores were built.
        texts = [text.replace("\n", " ") for text in texts]
        vectors = self.encoder.encode(texts, normalize_embeddings=True, batch_size=self.batch_size,
                                      show_progress_bar=False)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
