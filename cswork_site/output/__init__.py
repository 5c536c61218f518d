"""What is written, and how fast: the output swap, page reuse, search, pictures and the files of a published site."""
