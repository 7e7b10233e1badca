"""Development tools kept out of the installed package: the sample builder, the string extractor."""
