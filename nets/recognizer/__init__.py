"""The text recognizer: CTC decoding and error rates, a line finder, and the image -> text pipeline."""
