"""The assistant: retrieval, answers with verified quotes, quizzes (built on the clause index in `index`)."""
