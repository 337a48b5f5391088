"""站内消息: always on. Delivery only marks the outbox row as sent (see app.notify.delivery),
so the row itself is the message shown under the bell."""
from plugins.channels import Channel, register


@register
class InApp(Channel):
    name = "inapp"
    label = "站内消息"
    always_on = True
    inline = True
    default_on = True

    def address(self, recipient):
        return str(recipient.user_id)

    def send(self, address, message, config):
        """Nothing to do outside the database: the row becomes visible when marked sent."""
