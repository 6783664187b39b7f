import { useEffect, useState } from 'react'

/**
 * An object URL for text (a CSV the client fetched), revoked when the text
 * changes or the view unmounts: a download link that works whatever the auth
 * (a plain link to the API carries cookies, never the client's headers).
 */
export function useObjectUrl(text: string | undefined, type: string): string | undefined {
  const [url, setUrl] = useState<string>()
  useEffect(() => {
    if (text === undefined) return
    const u = URL.createObjectURL(new Blob([text], { type }))
    setUrl(u)
    return () => {
      URL.revokeObjectURL(u)
      setUrl(undefined)
    }
  }, [text, type])
  return url
}
