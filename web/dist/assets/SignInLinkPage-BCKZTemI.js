import{h as e,i as t,p as n,t as r,u as i}from"./Page-Ct-7bK0w.js";import{d as a,i as o,l as s,n as c,o as l,r as u,t as d}from"./status-vNDBieDo.js";import{i as f,t as p}from"./index-tC04SmID.js";import{t as m}from"./useTokenFromPath-9nEguCJ7.js";var h=e(n(),1),g=t(),_=s(`
  mutation SignInWithLink($token: String!) {
    signInWithLink(token: $token) {
      expiresAt
      viewer {
        signedIn
      }
    }
  }
`);function v(){let{token:e,forget:t}=m(`signInLink`),[{error:n},s]=a(_),{sessionChanged:v}=f(),y=i(),b=(0,h.useRef)(null),[x,S]=(0,h.useState)(0);return(0,h.useEffect)(()=>{if(e===null)return;let n=`${e}#${x}`;b.current!==n&&(b.current=n,s({token:e}).then(e=>{e.error===void 0?(t(),v(),y(p.space(),{replace:!0})):o(e.error)&&t()}))},[e,x,s,t,v,y]),e===null||n!==void 0&&o(n)?(0,g.jsxs)(r,{title:`Lien de connexion non valable`,children:[n===void 0?(0,g.jsx)(`p`,{children:`Ce lien de connexion est incomplet.`}):(0,g.jsx)(d,{error:n,title:`Ce lien ne permet pas de vous connecter`}),(0,g.jsx)(`p`,{children:`Un lien de connexion est valable 30 minutes et ne sert qu'une fois. Demandez-en un nouveau : c'est immédiat.`}),(0,g.jsx)(l,{linkProps:{to:p.signIn()},children:`Recevoir un nouveau lien`})]}):n===void 0?(0,g.jsx)(r,{title:`Connexion en cours`,children:(0,g.jsx)(c,{label:`Connexion en cours, un instant…`})}):(0,g.jsxs)(r,{title:`Connexion impossible pour le moment`,children:[(0,g.jsx)(d,{error:n,title:`La connexion n'a pas abouti`}),u(n)?(0,g.jsx)(l,{onClick:()=>S(e=>e+1),children:`Réessayer`}):(0,g.jsx)(l,{linkProps:{to:p.signIn()},children:`Recevoir un nouveau lien`})]})}export{v as default};