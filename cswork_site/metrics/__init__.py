"""Workforce figures: dated snapshots, the live pull and the DfE import."""
