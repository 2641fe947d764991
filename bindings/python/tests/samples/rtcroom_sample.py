# ZEGO's room-privilege sample (token/python/token04/test/rtcroom_sample.py), with the
# one import line changed for zego_token and the app's values filled in with the demo app.
import json

from zego_token import token04  # was: from src import token04

if __name__ == "__main__":
    app_id = 1234567890
    server_secret = "fa94dd0f974cf2e293728a526b028271"
    user_id = "user1"
    effective_time_in_seconds = 3600
    payload = {
        "room_id": "room1",
        "privilege": {
            1: 1,  # log in to the room: allowed
            2: 1,  # publish streams: allowed
        },
        "stream_id_list": None,  # None: any stream ID may be published
    }

    token_info = token04.generate_token04(
        app_id=app_id,
        user_id=user_id,
        secret=server_secret,
        effective_time_in_seconds=effective_time_in_seconds,
        payload=json.dumps(payload),
    )
    print([token_info.token, token_info.error_code, token_info.error_message])
