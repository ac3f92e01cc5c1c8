/**
 * Meridian's four stacks (dev/prod x aws/gcp) through the offline engine, as a platform team and CI run
 * them: each previews and satisfies the outputs contract (components/shared/contracts.ts), both clouds give
 * the same outputs shape, the release outputs are usable, only the selected cloud is loaded.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { checkOutputsContract } from "../../components/shared/contracts";
import { compareShapes, count, Doc, graph } from "./test/stackGraphs";

describe("Meridian stacks through the offline engine", function () {
  this.timeout(180_000);

  for (const stack of ["dev", "prod"]) {
    for (const cloud of ["aws", "gcp"]) {
      it(`${stack}/${cloud}: previews a full network and satisfies the outputs contract`, () => {
        const doc = graph(stack, cloud);
        assert.equal(doc.stack, stack);
        assert.equal(doc.outputs.cloud, cloud);
        assert.equal(doc.outputs.profile, stack);
        assert.deepEqual(checkOutputsContract(doc.outputs), [], "missing contract paths");
        assert.equal(count(doc, `meridian:${cloud}:Network`), 1);
        assert.ok(doc.summary.custom >= 10, `only ${doc.summary.custom} cloud resources`);
        // Every resource created by our own code carries a source position inside the repository.
        for (const r of doc.resources.filter((x: Doc) => x.custom)) {
          assert.ok(r.sourcePosition, `${r.urn} has no source position`);
          assert.doesNotMatch(
            r.sourcePosition.file,
            /^\//,
            `${r.urn}: ${r.sourcePosition.file} is not in the repo`,
          );
        }
      });
    }
  }

  it("both clouds return the same outputs shape", () => {
    for (const stack of ["dev", "prod"]) {
      const r = compareShapes(graph(stack, "aws").outputs, graph(stack, "gcp").outputs);
      assert.deepEqual(r.differ, [], `${stack}: fields whose kind differs between clouds`);
      assert.deepEqual(r.onlyB, [], `${stack}: fields only GCP has`);
      assert.deepEqual(r.onlyA, [], `${stack}: fields only AWS has`);
    }
  });

  it("release outputs tell an app developer where to push and how to migrate, on both clouds", () => {
    for (const stack of ["dev", "prod"]) {
      const aws = graph(stack, "aws").outputs.release;
      assert.match(aws.imageRepository, /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/meridian-/);
      assert.equal(aws.registryHost, aws.imageRepository.split("/")[0]);
      assert.ok(aws.service.scope && aws.service.name, "ECS cluster and service");
      assert.ok(aws.migrate.command.includes(`--cluster ${aws.service.scope} `));
      assert.match(
        aws.migrate.command,
        /aws ecs --region \S+ run-task --cluster \S+ --task-definition arn:aws:ecs:[^ ]+:task-definition\/[^ ]+:\d+ /,
      );
      assert.match(
        aws.migrate.command,
        /subnets=\[subnet-[0-9a-f]+(,subnet-[0-9a-f]+)*\],securityGroups=\[sg-[0-9a-f]+\],assignPublicIp=DISABLED/,
      );
      assert.match(aws.migrate.command, /wait tasks-stopped/);
      const gcp = graph(stack, "gcp").outputs.release;
      assert.match(gcp.imageRepository, /^[a-z0-9-]+-docker\.pkg\.dev\/[^/]+\/[^/]+\/api$/);
      assert.equal(gcp.registryHost, gcp.imageRepository.split("/")[0]);
      assert.match(gcp.service.scope, /^projects\/[^/]+\/locations\/[a-z0-9-]+$/);
      assert.match(gcp.migrate.command, /^gcloud run jobs execute \S+ --region \S+ --project \S+ --wait$/);
      // The commands are valid shell (the CLIs themselves are not installed here).
      for (const cmd of [aws.migrate.command, gcp.migrate.command]) {
        const r = spawnSync("bash", ["-n", "-c", cmd], { encoding: "utf8" });
        assert.equal(r.status, 0, `${cmd}\n${r.stderr}`);
      }
    }
  });

  it("the outputs contract fails loudly when a section is missing", () => {
    const doc = structuredClone(graph("dev", "gcp").outputs);
    delete doc.posture.database.pointInTimeRecovery;
    delete doc.cdnUrl;
    assert.deepEqual(checkOutputsContract(doc).sort(), ["cdnUrl", "posture.database.pointInTimeRecovery"]);
  });

  it("loads only the selected cloud's stack", () => {
    const aws = graph("dev", "aws");
    assert.equal(aws.resources.filter((r: Doc) => r.type.startsWith("gcp:")).length, 0);
    const gcp = graph("dev", "gcp");
    assert.equal(gcp.resources.filter((r: Doc) => r.type.startsWith("aws:")).length, 0);
  });
});
