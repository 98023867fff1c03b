#!/usr/bin/env python3
"""What cfn-lint cannot know about packaging/aws/outpost.yaml: that it fits outpost-server.

check-template.py [TEMPLATE]     (default: packaging/aws/outpost.yaml)

- The files policy allows exactly the S3 actions that server/storage/s3filestore.cpp needs
  (derived from the requests it sends), on the bucket and its objects, and nothing else.
- No Allow statement of any IAM policy has a wildcard action or resource.
- The execution role may read exactly the secrets the container gets.
- Every OUTPOST_* variable the container gets is a setting of shared/config/config.cpp, and
  every one that comes from Secrets Manager is a secret setting there.
- The load balancer: HTTPS with the certificate parameter and a TLS 1.2+ policy, HTTP only
  redirects; the target group checks /readyz on the port the server listens on.
- The tasks take traffic from the load balancer only, the database from the tasks only; the
  database is private and encrypted; the bucket blocks public access.
Each mutation in --self-test must make the check fail (the check can fail).
Exits 1 on a problem.
"""

import copy
import os
import re
import sys

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class Tag:
    """A CloudFormation short-form function (!Ref, !Sub, !GetAtt ...), kept as data."""

    def __init__(self, name, value):
        self.name = name
        self.value = value

    def __eq__(self, other):
        return isinstance(other, Tag) and (self.name, self.value) == (other.name, other.value)

    def __hash__(self):
        return hash((self.name, repr(self.value)))

    def __repr__(self):
        return f"!{self.name} {self.value!r}"


class Loader(yaml.SafeLoader):
    pass


def construct_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return Tag(suffix, tuple(value) if isinstance(value, list) else value)


Loader.add_multi_constructor("!", construct_tag)


def as_list(value):
    return value if isinstance(value, list) else [value]


def s3_actions_the_server_needs():
    """IAM actions for the requests server/storage/s3filestore.cpp sends."""
    with open(os.path.join(ROOT, "server", "storage", "s3filestore.cpp"), encoding="utf-8") as f:
        source = f.read()
    actions = set()
    # send("METHOD", key, query, ...) and request("METHOD", key, query, ...)
    for method, key, query in re.findall(r'(?:send|request)\("([A-Z]+)",\s*([^,]+),\s*([^,)]+)', source):
        bucket_level = key.strip() == "{}"
        if method == "HEAD" and bucket_level:
            actions.add("s3:ListBucket")  # HeadBucket
        elif method == "GET":
            actions.add("s3:GetObject")
        elif method in ("PUT", "POST"):
            actions.add("s3:PutObject")  # PutObject, UploadPart, Create/CompleteMultipartUpload
        elif method == "DELETE" and query.strip() in ("{}", ""):
            actions.add("s3:DeleteObject")
        elif method == "DELETE":
            actions.add("s3:AbortMultipartUpload")
        elif method != "HEAD":
            actions.add(f"unknown:{method}")
    # Uploads use a query (uploads / partNumber / uploadId) built in a variable.
    return actions


def config_settings():
    """{NAME: is_secret} from shared/config/config.cpp's table of settings."""
    with open(os.path.join(ROOT, "shared", "config", "config.cpp"), encoding="utf-8") as f:
        source = f.read()
    return {name: kind == "Secret" for name, kind in re.findall(r'\{"([A-Z0-9_]+)",\s*Kind::(\w+)', source)}


def check(template):
    problems = []
    resources = template.get("Resources", {})

    def resource(name, kind):
        r = resources.get(name)
        if not r or r.get("Type") != kind:
            problems.append(f"{name}: missing or not a {kind}")
            return {}
        return r.get("Properties", {})

    # --- IAM: nothing but what the server uses ---------------------------------------------
    for name, r in resources.items():
        documents = []
        props = r.get("Properties", {})
        if r.get("Type") in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            documents.append(props.get("PolicyDocument", {}))
        documents += [p.get("PolicyDocument", {}) for p in props.get("Policies", [])]
        for document in documents:
            for statement in document.get("Statement", []):
                if statement.get("Effect") != "Allow":
                    continue
                for action in as_list(statement.get("Action", [])):
                    if not isinstance(action, str) or "*" in action:
                        problems.append(f"{name}: wildcard or computed action {action!r}")
                for res in as_list(statement.get("Resource", [])):
                    if res == "*":
                        problems.append(f"{name}: an Allow on every resource")

    files = resource("FilesAccessPolicy", "AWS::IAM::ManagedPolicy")
    allowed = {}
    for statement in files.get("PolicyDocument", {}).get("Statement", []):
        if statement.get("Effect") == "Allow":
            for action in as_list(statement.get("Action", [])):
                allowed.setdefault(action, set()).update(
                    repr(x) for x in as_list(statement.get("Resource", [])))
    needed = s3_actions_the_server_needs()
    if set(allowed) != needed:
        problems.append(f"FilesAccessPolicy allows {sorted(allowed)}, the server needs {sorted(needed)}")
    bucket_arn = repr(Tag("GetAtt", ("FilesBucket", "Arn")))
    objects_arn = repr(Tag("Sub", "${FilesBucket.Arn}/*"))
    for action, where in allowed.items():
        expected = {bucket_arn} if action == "s3:ListBucket" else {objects_arn}
        if where != expected:
            problems.append(f"FilesAccessPolicy: {action} on {sorted(where)}, expected {sorted(expected)}")

    bucket = resource("FilesBucket", "AWS::S3::Bucket")
    block = bucket.get("PublicAccessBlockConfiguration", {})
    if not all(block.get(k) is True for k in
               ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")):
        problems.append("FilesBucket does not block every kind of public access")

    # --- The container: real settings, secrets from Secrets Manager --------------------------
    settings = config_settings()
    task = resource("TaskDefinition", "AWS::ECS::TaskDefinition")
    containers = task.get("ContainerDefinitions", [{}])
    container = containers[0] if containers else {}
    environment = {e["Name"]: e.get("Value") for e in container.get("Environment", [])}
    secrets = {s["Name"]: s.get("ValueFrom") for s in container.get("Secrets", [])}
    for name in list(environment) + list(secrets):
        key = name.removeprefix("OUTPOST_")
        if key not in settings:
            problems.append(f"TaskDefinition: {name} is not a setting of shared/config/config.cpp")
    for name in secrets:
        if not settings.get(name.removeprefix("OUTPOST_"), False):
            problems.append(f"TaskDefinition: {name} comes from Secrets Manager but is no secret setting")
    for name in environment:
        if settings.get(name.removeprefix("OUTPOST_"), False) and name != "OUTPOST_DATABASE_URL":
            problems.append(f"TaskDefinition: the secret {name} is plain text in the task definition")
    if "OUTPOST_S3_SECRET_ACCESS_KEY" not in secrets or "OUTPOST_DATABASE_PASSWORD" not in secrets:
        problems.append("TaskDefinition: the S3 secret key and the database password must come from Secrets Manager")

    def secret_of(value_from):
        if isinstance(value_from, Tag) and value_from.name == "Ref":
            return value_from.value
        if isinstance(value_from, Tag) and value_from.name == "Sub":
            match = re.match(r"^\$\{(\w+)\}", value_from.value)
            return match.group(1) if match else None
        return None

    wanted = {secret_of(v) for v in secrets.values()}
    readable = set()
    execution = resource("ExecutionRole", "AWS::IAM::Role")
    for policy in execution.get("Policies", []):
        for statement in policy.get("PolicyDocument", {}).get("Statement", []):
            if "secretsmanager:GetSecretValue" in as_list(statement.get("Action", [])):
                readable |= {r.value for r in as_list(statement.get("Resource", [])) if isinstance(r, Tag)}
    if readable != wanted:
        problems.append(f"ExecutionRole reads secrets {sorted(readable)}, the container gets {sorted(wanted)}")
    if "TaskRoleArn" in task:
        problems.append("TaskDefinition: a task role, though the server uses no AWS credentials but its S3 key")

    listen = environment.get("OUTPOST_LISTEN", "")
    port = int(listen.rsplit(":", 1)[-1]) if listen else None
    mapped = [m.get("ContainerPort") for m in container.get("PortMappings", [])]
    if mapped != [port]:
        problems.append(f"TaskDefinition: the container maps {mapped}, the server listens on {port}")

    # --- Load balancer and health checks -------------------------------------------------------
    group = resource("TargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup")
    if group.get("HealthCheckPath") != "/readyz":
        problems.append(f"TargetGroup checks {group.get('HealthCheckPath')!r}, not /readyz")
    if group.get("Port") != port or group.get("TargetType") != "ip":
        problems.append("TargetGroup: not the server's port, or not an ip target (awsvpc)")
    https = resource("HttpsListener", "AWS::ElasticLoadBalancingV2::Listener")
    if https.get("Protocol") != "HTTPS" or https.get("Port") != 443:
        problems.append("HttpsListener: not HTTPS on 443")
    if [c.get("CertificateArn") for c in https.get("Certificates", [])] != [Tag("Ref", "CertificateArn")]:
        problems.append("HttpsListener: the certificate is not the CertificateArn parameter")
    if not str(https.get("SslPolicy", "")).startswith(("ELBSecurityPolicy-TLS13-1-2", "ELBSecurityPolicy-TLS13-1-3")):
        problems.append(f"HttpsListener: TLS policy {https.get('SslPolicy')!r} allows less than TLS 1.2")
    http = resource("HttpListener", "AWS::ElasticLoadBalancingV2::Listener")
    if [a.get("Type") for a in http.get("DefaultActions", [])] != ["redirect"]:
        problems.append("HttpListener: plain HTTP must only redirect to HTTPS")

    # --- Network and database ----------------------------------------------------------------
    def only_from(group_name, source, ports):
        sg = resource(group_name, "AWS::EC2::SecurityGroup")
        rules = sg.get("SecurityGroupIngress", [])
        if not rules or any(r.get("SourceSecurityGroupId") != Tag("Ref", source)
                            or (r.get("FromPort"), r.get("ToPort")) != ports for r in rules):
            problems.append(f"{group_name}: ingress other than {ports} from {source}")

    only_from("ServiceSecurityGroup", "LoadBalancerSecurityGroup", (port, port))
    only_from("DatabaseSecurityGroup", "ServiceSecurityGroup", (5432, 5432))
    database = resource("Database", "AWS::RDS::DBInstance")
    if database.get("Engine") != "postgres" or database.get("PubliclyAccessible") is not False \
            or database.get("StorageEncrypted") is not True:
        problems.append("Database: must be PostgreSQL, private and encrypted")
    service = resource("Service", "AWS::ECS::Service")
    if service.get("LaunchType") != "FARGATE":
        problems.append("Service: not on Fargate")
    if service.get("NetworkConfiguration", {}).get("AwsvpcConfiguration", {}).get("AssignPublicIp") != "DISABLED":
        problems.append("Service: tasks must not have public addresses")
    return problems


def mutations(template):
    """Each yields a copy the check must reject."""

    def statement(t, sid):
        for s in t["Resources"]["FilesAccessPolicy"]["Properties"]["PolicyDocument"]["Statement"]:
            if s.get("Sid") == sid:
                return s
        raise KeyError(sid)

    def env(t):
        return t["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"][0]

    def run(name, change):
        t = copy.deepcopy(template)
        change(t)
        return name, t

    yield run("s3:* on the objects", lambda t: statement(t, "ReadWriteObjects").__setitem__("Action", ["s3:*"]))
    yield run("a missing action", lambda t: statement(t, "ReadWriteObjects")["Action"].remove("s3:AbortMultipartUpload"))
    yield run("an action too many", lambda t: statement(t, "ReadWriteObjects")["Action"].append("s3:GetObjectAcl"))
    yield run("ListBucket on the objects", lambda t: statement(t, "CheckTheBucket").__setitem__(
        "Resource", Tag("Sub", "${FilesBucket.Arn}/*")))
    yield run("health check on /healthz", lambda t: t["Resources"]["TargetGroup"]["Properties"].__setitem__(
        "HealthCheckPath", "/healthz"))
    yield run("a misspelt setting", lambda t: env(t)["Environment"].append({"Name": "OUTPOST_LISTN", "Value": "x"}))
    yield run("a secret in plain text", lambda t: env(t)["Environment"].append(
        {"Name": "OUTPOST_JWT_SECRET", "Value": "x"}))
    yield run("a secret the role cannot read", lambda t: env(t)["Secrets"].append(
        {"Name": "OUTPOST_OPENAI_API_KEY", "ValueFrom": Tag("Ref", "OpenAiKey")}))
    yield run("plain HTTP forwarded", lambda t: t["Resources"]["HttpListener"]["Properties"].__setitem__(
        "DefaultActions", [{"Type": "forward"}]))
    yield run("a public database", lambda t: t["Resources"]["Database"]["Properties"].__setitem__(
        "PubliclyAccessible", True))
    yield run("the service open to all", lambda t: t["Resources"]["ServiceSecurityGroup"]["Properties"][
        "SecurityGroupIngress"].append({"CidrIp": "0.0.0.0/0", "FromPort": 8080, "ToPort": 8080}))


def main(argv):
    args = [a for a in argv[1:] if a != "--self-test"]
    path = args[0] if args else os.path.join(ROOT, "packaging", "aws", "outpost.yaml")
    with open(path, encoding="utf-8") as f:
        template = yaml.load(f, Loader=Loader)  # noqa: S506 (a SafeLoader with CFN tags)
    problems = check(template)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if problems:
        return 1
    if "--self-test" in argv:
        for name, mutated in mutations(template):
            if not check(mutated):
                print(f"check-template self-test: the check accepts {name}", file=sys.stderr)
                return 1
    path = os.path.relpath(path)
    print(f"check-template: {path} fits outpost-server (S3 actions {sorted(s3_actions_the_server_needs())})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
