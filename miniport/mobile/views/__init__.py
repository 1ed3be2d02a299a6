"""The phone pages of super-app users, one module per area: `auth` (sign in, the demo
sign-in, sign out), `signup` (a new identity: WeChat ID, password, phone with an SMS
code, real-name check), `scan` (home with the confirmations waiting, and the page a QR code
opens to confirm or deny), `launch` (the page a mini program code opens), `media` (the
public avatar images those pages show) and `tickets` (what the requesting console page
polls while it shows a QR code). Forms are in `mobile/forms/<area>.py`, templates in
`templates/mobile/<area>/` (`base.html` and the shared partials stay at the top), every
route in `mobile/urls.py` (the public avatar's in `miniport/urls.py`)."""
