// The token endpoint as a Nuxt server route: createTokenHandler takes a web-standard Request and returns
// a Response, which h3 sends as it is (and answers 405 to anything but POST itself).
import { tokenHandler } from '../utils/tokenHandler';

export default defineEventHandler((event) => tokenHandler(toWebRequest(event)));
