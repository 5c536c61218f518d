"""Nothing published may identify a child: the detectors, the screening of every published
string and the publication gate."""
