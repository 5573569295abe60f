"""planqa ingestion: plan PDFs and text files → clean pages → structure-aware
chunks → Chroma (embeddings) + BM25 (jieba tokens).

Data flows one way: :mod:`ingest.loaders` → :mod:`ingest.clean` →
:mod:`ingest.structure` / :mod:`ingest.tables` → :mod:`ingest.chunking` →
:mod:`ingest.store`.  :func:`ingest.pipeline.ingest_paths` runs them in order.
"""
