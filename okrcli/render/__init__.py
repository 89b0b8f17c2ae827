"""Output formats: each a small module over the same data; the engines know none of them."""
