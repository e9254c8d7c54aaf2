"""Small pieces every capability uses: business hours, errors, retry, phones, markup escaping, pt-BR text
and formatting."""
