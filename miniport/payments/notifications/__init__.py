"""Payment and refund notifications to merchants (delivered by workers, on WeChat's retry
schedule), and the platform's own receiver for the notifications of its fee orders."""
