"""Oracle for keyless's AWS profile semantics: what botocore makes of a set of cases.

Reads a JSON manifest {"cases": [{"dir", "env"}]} on stdin. Each case directory holds
`config` and `credentials`. For each case it prints one JSON object per line:
  {"profiles": [...], "region": str|null, "source": {"method": str|null, "error": str|null}}
or {"parse_error": true} when botocore refuses the files.

The credential source is botocore's own provider chain (create_credential_resolver),
walked provider by provider so the provider that answers, or raises, is named. No provider
here touches the network: assume-role, SSO and web identity return deferred credentials,
IMDS and container providers are disabled by the environment the caller passes.
"""
import json
import os
import sys

import botocore.exceptions
import botocore.session
from botocore.credentials import create_credential_resolver

KEEP = {"PATH", "HOME", "LANG"}


def run_case(case):
    for k in list(os.environ):
        if k not in KEEP:
            del os.environ[k]
    os.environ["AWS_CONFIG_FILE"] = os.path.join(case["dir"], "config")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(case["dir"], "credentials")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ.update(case["env"])
    session = botocore.session.Session()
    try:
        profiles = sorted(session.full_config["profiles"].keys())
    except botocore.exceptions.ConfigParseError:
        return {"parse_error": True}
    try:
        region = session.get_config_variable("region")
        resolver = create_credential_resolver(session)
    except botocore.exceptions.ProfileNotFound:
        return {"profiles": profiles, "profile_not_found": True}
    method, error = None, None
    for provider in resolver.providers:
        try:
            creds = provider.load()
        except Exception as e:  # the provider recognised the profile but refused it
            method, error = provider.METHOD, type(e).__name__
            break
        if creds is not None:
            method = creds.method
            break
    return {"profiles": profiles, "region": region, "source": {"method": method, "error": error}}


def main():
    manifest = json.load(sys.stdin)
    out = [json.dumps(run_case(c)) for c in manifest["cases"]]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
