"""Drives the moto server that scripts/test starts: the STS/IAM peer of keyless's tests.

moto runs with authentication on (its reset-auth API), so every request after the first
three must be signed by a key moto issued, as on AWS. `bootstrap` spends those three
unauthenticated requests on an administrator and writes its key to a file (mode 0600);
everything else is done with that key.

    moto_admin.py bootstrap URL ADMIN_JSON
    moto_admin.py user URL ADMIN_JSON NAME [POLICY_JSON]   -> {"AccessKeyId", "SecretAccessKey", "Arn"}
    moto_admin.py role URL ADMIN_JSON NAME TRUSTED_ARN     -> {"Arn"}
"""

import json
import os
import sys
import time
import urllib.request

import boto3

REGION = "us-east-1"
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def post(url, path, body):
    req = urllib.request.Request(url + path, data=body, method="POST", headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as r:
        r.read()


def iam(url, key_id, secret):
    return boto3.client("iam", endpoint_url=url, region_name=REGION,
                        aws_access_key_id=key_id, aws_secret_access_key=secret)


def admin_client(url, admin_json):
    with open(admin_json) as f:
        a = json.load(f)
    return iam(url, a["AccessKeyId"], a["SecretAccessKey"])


def bootstrap(url, out):
    for _ in range(200):  # the server is starting
        try:
            post(url, "/moto-api/reset", b"")
            break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit(f"moto_server at {url} did not answer")
    post(url, "/moto-api/reset-auth", b"3")
    # Any key works for the three unauthenticated requests; AWS's documented example key.
    c = iam(url, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    c.create_user(UserName="keyless-test-admin")
    c.put_user_policy(UserName="keyless-test-admin", PolicyName="all", PolicyDocument=json.dumps(ALLOW_ALL))
    k = c.create_access_key(UserName="keyless-test-admin")["AccessKey"]
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"AccessKeyId": k["AccessKeyId"], "SecretAccessKey": k["SecretAccessKey"]}, f)


def user(url, admin_json, name, policy=None):
    c = admin_client(url, admin_json)
    u = c.create_user(UserName=name)["User"]
    doc = json.load(open(policy)) if policy else ALLOW_ALL
    c.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(doc))
    k = c.create_access_key(UserName=name)["AccessKey"]
    print(json.dumps({"AccessKeyId": k["AccessKeyId"], "SecretAccessKey": k["SecretAccessKey"], "Arn": u["Arn"]}))


def role(url, admin_json, name, trusted):
    c = admin_client(url, admin_json)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
             "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"}]}
    r = c.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    c.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=json.dumps(ALLOW_ALL))
    print(json.dumps({"Arn": r["Arn"]}))


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"bootstrap": bootstrap, "user": user, "role": role}[cmd](*args)
