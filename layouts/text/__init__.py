"""Words and numbers as people read them: the Thai/English word tables (`words`, `esr_words`),
`t` and the language rules (`i18n`), and formatting of numbers, dates, periods, statuses and
links (`format`)."""

__all__ = ["esr_words", "format", "i18n", "words"]
