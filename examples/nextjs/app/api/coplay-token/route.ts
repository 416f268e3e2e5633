// The token endpoint as an App Router route handler: createTokenHandler is already a web-standard
// (request: Request) => Promise<Response>, which is what Next.js calls.
import { tokenHandler } from '../../../lib/tokenHandler';

export const POST = (request: Request): Promise<Response> => tokenHandler(request);
