"""Publishes messages as fedora-messaging does, with pika (the library it builds on).

Usage: python3 fedora_messaging_publisher.py URL FILE
FILE holds one JSON object per line: {"topic", "id", "body" (the body bytes as text),
"users", "packages" (lists), "severity" (int), "encoding" (content_encoding), "sent_at"}.
Each is published to amq.topic with routing key = topic, persistent, with publisher
confirms, and the properties and headers fedora_messaging.message.Message sets.
"""
import json
import sys

import pika


def main():
    url, path = sys.argv[1], sys.argv[2]
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.confirm_delivery()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            m = json.loads(line)
            headers = {
                "fedora_messaging_schema": "base.message",
                "sent-at": m.get("sent_at", "2024-05-01T12:00:00+00:00"),
                "fedora_messaging_severity": m.get("severity", 20),
            }
            for user in m.get("users", []):
                headers["fedora_messaging_user_" + user] = True
            for package in m.get("packages", []):
                headers["fedora_messaging_rpm_" + package] = True
            properties = pika.BasicProperties(
                content_type="application/json",
                content_encoding=m.get("encoding", "utf-8"),
                delivery_mode=2,
                headers=headers,
                message_id=m["id"],
            )
            body = m["body"].encode("utf-8")
            channel.basic_publish("amq.topic", m["topic"], body, properties)
    connection.close()


main()
