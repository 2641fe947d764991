# ZEGO's basic-token sample (token/python/token04/test/base_sample.py), with the one
# import line changed for zego_token and the app's values filled in with the demo app.
import json

from zego_token import token04  # was: from src import token04

if __name__ == "__main__":
    app_id = 1234567890
    server_secret = "fa94dd0f974cf2e293728a526b028271"
    user_id = "user1"
    effective_time_in_seconds = 3600
    payload = {"demoPayload": ""}

    token_info = token04.generate_token04(
        app_id, user_id, server_secret, effective_time_in_seconds, json.dumps(payload)
    )
    print([token_info.token, token_info.error_code, token_info.error_message])
