"""The "Telefon" tab: the phone assistant's call queue, a call's detail, the urgent banner."""
