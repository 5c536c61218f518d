"""Nothing published may identify a child: the detectors, the screening of every published
string and the publication gate."""


def N_(message: str) -> str:
    """Marks an English message for the catalogues (Babel's extractor looks for N_). It is
    translated where a finding is made, in the reader's language (translation.gettext)."""
    return message
