/**
 * The fake OpenAI Chat Completions server in its own process for bench/router-overhead.ts,
 * so the fake's work never shares the measured process's event loop. Prints its base URL
 * (`{url}/v1`) as the first stdout line; exits when stdin closes.
 */
import { createFakeOpenAI } from '../test/fakes/fake-openai.ts';

const fake = await createFakeOpenAI();
process.stdout.write(`${fake.baseUrl}\n`);
process.stdin.resume();
process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
