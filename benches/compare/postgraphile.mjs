// PostGraphile 5 for `cargo bench --bench compare`: the amber preset with the connection
// filter plugin, as the database owner, without authentication, on 127.0.0.1:$PORT. The
// database is reached through the libpq variables PGHOST, PGPORT, PGUSER and PGDATABASE.
// Run from the folder where `npm install` put postgraphile (ESM resolves from this file).
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makeJSONPgSmartTagsPlugin } from "postgraphile/utils";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

// The self-reference `applications.carried_from` (unique) gives its forward and backward
// relations the same filter name; naming the backward one apart keeps the Application type.
const TagsPlugin = makeJSONPgSmartTagsPlugin({
  version: 1,
  config: {
    constraint: {
      "applications.applications_carried_from_fkey": {
        tags: { foreignSingleFieldName: "carriedTo", foreignFieldName: "carriedTo" },
      },
    },
  },
});

const port = Number(process.env.PORT);
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  // Order and condition on every column, as V4's `--no-ignore-indexes` did not: certif's
  // queries sort by columns without an index of their own (applications by created_at).
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  plugins: [TagsPlugin],
  pgServices: [makePgService({ schemas: ["public"] })],
  schema: {
    // `bookingsBySlotId: { none: … }`: the slots without a confirmed booking.
    connectionFilterRelations: true,
  },
  grafserv: { port, host: "127.0.0.1", graphqlPath: "/graphql", graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (error) => {
  console.error(error);
  process.exit(1);
});
await serv.addTo(server);
// Build the schema before listening, so that the first answer is a real one.
await pgl.getSchema();
server.listen(port, "127.0.0.1");
