"""Domain word lists shipped with the index: jieba dictionary, stopwords, synonyms, place names."""
