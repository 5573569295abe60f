"""planqa evaluation: QA benchmark files, their validator and the harness."""
