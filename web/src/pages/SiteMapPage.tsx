import { Link } from "react-router";
import { Page } from "../app/Page";
import { siteMap } from "../routes";

export default function SiteMapPage() {
  return (
    <Page title="Plan du site">
      <ul>
        {siteMap.map(({ path, title }) => (
          <li key={path}>
            <Link to={path}>{title}</Link>
          </li>
        ))}
      </ul>
    </Page>
  );
}
